//! A JSON body whose rejection is a refusal like any other (`bad_request`, or `request_too_large` past the
//! route's body limit), not axum's plain-text answer.

use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use ebid_protocol::RefusalCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub(crate) struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(request, state)
            .await
            .map(|Json(value)| Self(value))
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    RefusalCode::RequestTooLarge.into()
                } else {
                    RefusalCode::BadRequest.into()
                }
            })
    }
}
