//! Parallel analysis with output in input order and flat memory.
//!
//! Workers (a rayon pool of `--threads` threads) take jobs one at a time from
//! the input iterator and send results to the caller's thread, which writes
//! them strictly in input order as soon as each next one is ready. A worker
//! may run at most a fixed window of jobs ahead of the last one written, so
//! a slow document holds back at most that many finished results, whatever
//! the number of inputs; and a result is never lost: a panicking analysis
//! becomes an error result for its input.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

/// How many jobs per thread may be in flight beyond the last one written.
const WINDOW_PER_THREAD: usize = 8;

/// What the writer wants after a result.
pub enum Flow {
    Continue,
    /// Stop taking new jobs (the output was closed).
    Stop,
}

struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
}

struct GateState {
    written: usize,
    stopped: bool,
}

impl Gate {
    /// Waits until job `index` is within the window; false once stopped.
    fn admit(&self, index: usize, window: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.stopped && index >= state.written + window {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.stopped
    }

    fn advance(&self, written: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).written = written;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        self.moved.notify_all();
    }
}

/// Runs `work` over `jobs` on `threads` threads and hands each result to
/// `write` in job order. `on_panic` turns a job's panic message into its
/// result.
pub fn run_ordered<J, R, I, W, P, O>(
    threads: usize,
    jobs: I,
    work: W,
    on_panic: P,
    mut write: O,
) -> anyhow::Result<()>
where
    I: Iterator<Item = J> + Send,
    J: Send,
    R: Send,
    W: Fn(J) -> R + Sync,
    P: Fn(String) -> R + Sync,
    O: FnMut(R) -> Flow,
{
    let threads = threads.max(1);
    let window = threads * WINDOW_PER_THREAD;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("kosum-worker-{i}"))
        .build()?;
    let gate = Gate {
        state: Mutex::new(GateState {
            written: 0,
            stopped: false,
        }),
        moved: Condvar::new(),
    };
    let queue = Mutex::new(jobs.enumerate());
    let (sender, receiver) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let (gate, queue, work, on_panic) = (&gate, &queue, &work, &on_panic);
        scope.spawn(move || {
            pool.scope(|pool_scope| {
                for _ in 0..threads {
                    let sender = sender.clone();
                    pool_scope.spawn(move |_| {
                        loop {
                            // Take the next job while holding the queue, so
                            // jobs are taken strictly in order.
                            let next = {
                                let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                                match queue.next() {
                                    Some((index, job)) if gate.admit(index, window) => {
                                        Some((index, job))
                                    }
                                    _ => None,
                                }
                            };
                            let Some((index, job)) = next else { break };
                            let result = catch_unwind(AssertUnwindSafe(|| work(job)))
                                .unwrap_or_else(|panic| on_panic(panic_message(&panic)));
                            if sender.send((index, result)).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
            drop(sender);
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        'receive: while let Ok((index, result)) = receiver.recv() {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                gate.advance(next);
                if let Flow::Stop = write(result) {
                    gate.stop();
                    break 'receive;
                }
            }
        }
        drop(receiver);
    });
    Ok(())
}

/// The message a panic was raised with.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
