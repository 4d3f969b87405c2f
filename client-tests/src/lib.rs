//! A client for `spec/kinds.yaml`, which has every operation kind the
//! generator supports; `tests/` runs it against real servers on 127.0.0.1.

#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/client.rs"));
