//! Work shared out among the cores (formatting, the typed model of a large
//! spec). Scoped threads, no pool: a generation runs once per process.

use crate::ground::diag::GenError;

/// Run `run` over `items` on every core: they are split into
/// `runs_per_thread` runs a thread (more runs balance uneven items, fewer cost
/// less), shared out among threads as each finishes one; the runs' results in
/// order. Small inputs (under 200 items) stay on the calling thread.
/// Threads get the generator's large stack (the walks recurse as deep as a
/// spec nests).
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    runs_per_thread: usize,
    run: impl Fn(&[T]) -> Result<R, GenError> + Sync,
) -> Result<Vec<R>, GenError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    // Small specs: one run, no threads.
    if threads == 1 || items.len() < 200 {
        return Ok(vec![run(items)?]);
    }
    let per = items.len().div_ceil(threads * runs_per_thread.max(1));
    let chunks: Vec<&[T]> = items.chunks(per).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<Option<Result<R, GenError>>> = (0..chunks.len()).map(|_| None).collect();
    let results = std::sync::Mutex::new(&mut done);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let spawned = std::thread::Builder::new().stack_size(crate::STACK_BYTES).spawn_scoped(scope, || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(i) else { break };
                let formatted = run(chunk);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(formatted);
                }
            });
            if spawned.is_err() {
                break;
            }
        }
    });
    let mut out = Vec::with_capacity(done.len());
    for (i, part) in done.into_iter().enumerate() {
        match part {
            Some(result) => out.push(result?),
            // A thread could not start: do its share here.
            None => out.push(run(chunks[i])?),
        }
    }
    Ok(out)
}

/// Free a large value (a document, a model) on a thread of its own while the
/// next stage runs. When no thread can start, the closure is dropped here, and
/// the value with it.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("openapi-gen drop".into()).spawn(move || drop(value));
}
