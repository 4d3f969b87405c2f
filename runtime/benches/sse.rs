//! The server-sent events parser alone: a stream of 2,000 chat chunks
//! (about 300 bytes each, as OpenAI-compatible servers send them), fed in
//! network-sized pieces, parsed into raw events; the median of 15 runs as
//! time per event and throughput. `cargo bench -p openapi-gen-runtime --bench sse`.

use openapi_gen_runtime::sse::Parser;
use std::time::{Duration, Instant};

fn stream() -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..2_000 {
        let chunk = format!(
            "{{\"id\":\"chatcmpl-{i}\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"meta-llama/Llama-3.3-70B-Instruct\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" token{i}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"system_fingerprint\":\"fp_{i}\"}}"
        );
        out.extend_from_slice(format!("data: {chunk}\n\n").as_bytes());
    }
    out.extend_from_slice(b"data: [DONE]\n\n");
    out
}

fn main() {
    let body = stream();
    let mut times = Vec::new();
    let mut events = 0;
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..20 {
            let mut parser = Parser::default();
            events = 0;
            for piece in body.chunks(1_400) {
                parser.feed(piece);
                while let Some(e) = parser.next_event() {
                    std::hint::black_box(&e);
                    events += 1;
                }
            }
        }
        times.push(start.elapsed() / 20);
    }
    times.sort();
    let median: Duration = times[times.len() / 2];
    let per_event = median.as_nanos() as f64 / events as f64;
    let mb_s = body.len() as f64 / median.as_secs_f64() / 1e6;
    println!("{events} events, {} bytes: {median:?} a stream, {per_event:.0} ns an event, {mb_s:.0} MB/s", body.len());
}
