//! The server over real parts: a SQLite file in a temporary folder, the server on 127.0.0.1, a real HTTP
//! client, and the demo cards' signatures made with their private keys.

mod support;

mod changing;
mod durability;
mod origin;
mod process_kill;
mod process_log;
mod refusals;
mod registering;
mod registrations;
mod renewal;
mod run;
mod seed;
mod session;
mod storage;
mod strangers;
mod transport;
mod trust;
mod updates;
