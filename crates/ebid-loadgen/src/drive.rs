//! A bounded load: a number of concurrent clients, each a tokio task with its own HTTP connection, running
//! numbered operations one after the other until the operations or the time run out.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::api::Api;

/// One kind of operation, run by number: operation `index` of a level is run once, by one client.
pub trait Operation: Send + Sync + 'static {
    type Output: Send + 'static;

    fn run(
        &self,
        api: &Api,
        index: usize,
    ) -> impl Future<Output = anyhow::Result<Self::Output>> + Send;
}

/// How much load: `clients` at once, operations numbered below `max_ops`, none started after `max_time`.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub clients: usize,
    pub max_ops: usize,
    pub max_time: Duration,
}

/// What a bounded load did: every operation that was started either succeeded or failed.
pub struct Outcome<T> {
    pub succeeded: Vec<T>,
    pub failures: Vec<anyhow::Error>,
    /// From the first operation's start to the last one's end.
    pub elapsed: Duration,
}

/// Runs `operation` from `bounds.clients` clients of the server at `base`. Each client takes the next
/// operation number as it becomes free; none is taken past `max_ops` or after `max_time` (operations under
/// way then finish, each within the clients' request timeout).
pub async fn drive<O: Operation>(
    base: &str,
    operation: Arc<O>,
    bounds: Bounds,
) -> anyhow::Result<Outcome<O::Output>> {
    let next = Arc::new(AtomicUsize::new(0));
    let clients = (0..bounds.clients)
        .map(|_| Api::new(base))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let started = Instant::now();
    let deadline = started + bounds.max_time;
    let mut tasks = JoinSet::new();
    for api in clients {
        let operation = Arc::clone(&operation);
        let next = Arc::clone(&next);
        tasks.spawn(async move {
            let mut results = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= bounds.max_ops || Instant::now() >= deadline {
                    return results;
                }
                results.push(operation.run(&api, index).await);
            }
        });
    }
    let (mut succeeded, mut failures) = (Vec::new(), Vec::new());
    while let Some(results) = tasks.join_next().await {
        for result in results? {
            match result {
                Ok(output) => succeeded.push(output),
                Err(error) => failures.push(error),
            }
        }
    }
    Ok(Outcome {
        succeeded,
        failures,
        elapsed: started.elapsed(),
    })
}
