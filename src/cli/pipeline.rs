//! Parallel analysis with output in input order and flat memory.
//!
//! `--threads` workers (the calling thread and `--threads` − 1 more) take
//! jobs one at a time from the input iterator. A worker that finishes the
//! job next in input order writes it, and any finished ones after it, itself;
//! others leave their results for it. So no thread waits for results and
//! none is woken per document (on a virtual machine a wake-up costs a
//! good part of a short document's analysis). A worker may run at most a
//! fixed window of jobs ahead of the last one written, so a slow document
//! holds back at most that many finished results, whatever the number of
//! inputs; and a result is never lost: a panicking analysis becomes an error
//! result for its input.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, MutexGuard};

/// How many jobs per thread may be in flight beyond the last one written.
const WINDOW_PER_THREAD: usize = 8;

/// What the writer wants after a result.
pub enum Flow {
    Continue,
    /// Stop taking new jobs (the output was closed).
    Stop,
}

/// The results on their way out, and the writer.
struct Output<R, O> {
    state: Mutex<OutputState<R, O>>,
    /// Signalled when `written` moves or the run stops, if a worker waits.
    moved: Condvar,
}

struct OutputState<R, O> {
    /// Finished results waiting for an earlier one, by job index.
    pending: BTreeMap<usize, R>,
    /// How many results have been written (the index of the next one).
    written: usize,
    stopped: bool,
    /// Workers waiting in [`Output::admit`].
    waiting: usize,
    write: O,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl<R, O: FnMut(R) -> Flow> Output<R, O> {
    /// Waits until job `index` is within the window; false once stopped.
    fn admit(&self, index: usize, window: usize) -> bool {
        let mut state = lock(&self.state);
        while !state.stopped && index >= state.written + window {
            state.waiting += 1;
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
        !state.stopped
    }

    /// Hands in job `index`'s result and writes every result now next in
    /// order; false once the run has stopped.
    fn deliver(&self, index: usize, result: R) -> bool {
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        if state.stopped {
            return false;
        }
        state.pending.insert(index, result);
        let before = state.written;
        while let Some(result) = state.pending.remove(&state.written) {
            state.written += 1;
            if let Flow::Stop = (state.write)(result) {
                state.stopped = true;
                break;
            }
        }
        if (state.written != before || state.stopped) && state.waiting > 0 {
            self.moved.notify_all();
        }
        !state.stopped
    }
}

/// Runs `work` over `jobs` on `threads` threads and hands each result to
/// `write` in job order. `on_panic` turns a job's panic message into its
/// result.
pub fn run_ordered<J, R, I, W, P, O>(threads: usize, jobs: I, work: W, on_panic: P, write: O)
where
    I: Iterator<Item = J> + Send,
    J: Send,
    R: Send,
    W: Fn(J) -> R + Sync,
    P: Fn(String) -> R + Sync,
    O: FnMut(R) -> Flow + Send,
{
    let threads = threads.max(1);
    let window = threads * WINDOW_PER_THREAD;
    let queue = Mutex::new(jobs.enumerate());
    let output = Output {
        state: Mutex::new(OutputState {
            pending: BTreeMap::new(),
            written: 0,
            stopped: false,
            waiting: 0,
            write,
        }),
        moved: Condvar::new(),
    };
    let worker = || {
        loop {
            // Take the next job while holding the queue, so jobs are taken
            // strictly in order.
            let next = {
                let mut queue = lock(&queue);
                match queue.next() {
                    Some((index, job)) if output.admit(index, window) => Some((index, job)),
                    _ => None,
                }
            };
            let Some((index, job)) = next else { break };
            let result = catch_unwind(AssertUnwindSafe(|| work(job)))
                .unwrap_or_else(|panic| on_panic(panic_message(&panic)));
            if !output.deliver(index, result) {
                break;
            }
        }
    };
    std::thread::scope(|scope| {
        for number in 1..threads {
            let spawned = std::thread::Builder::new()
                .name(format!("kosum-worker-{number}"))
                .spawn_scoped(scope, worker);
            if spawned.is_err() {
                // The system allows no more threads: the workers started so
                // far (at least this one) do all the jobs.
                break;
            }
        }
        worker();
    });
}

/// The message a panic was raised with.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Jobs whose work takes longer the lower their index, so later jobs
    /// finish first on other threads.
    fn slow_then_fast(index: usize) -> usize {
        std::thread::sleep(Duration::from_millis((20 - index as u64 % 20) / 4));
        index * 10
    }

    #[test]
    fn results_are_written_in_job_order_whatever_order_they_finish_in() {
        for threads in [1, 2, 4] {
            let mut written = Vec::new();
            run_ordered(
                threads,
                0..60usize,
                slow_then_fast,
                |_| usize::MAX,
                |result| {
                    written.push(result);
                    Flow::Continue
                },
            );
            let expected: Vec<usize> = (0..60).map(|i| i * 10).collect();
            assert_eq!(written, expected, "{threads} threads");
        }
    }

    #[test]
    fn a_panicking_job_becomes_its_own_result_and_the_rest_go_on() {
        let mut written = Vec::new();
        run_ordered(
            2,
            0..10usize,
            |index| {
                if index == 3 {
                    panic!("job three failed");
                }
                format!("ok {index}")
            },
            |message| format!("panic: {message}"),
            |result| {
                written.push(result);
                Flow::Continue
            },
        );
        assert_eq!(written.len(), 10);
        assert_eq!(written[3], "panic: job three failed");
        assert_eq!(written[9], "ok 9");
    }

    #[test]
    fn stop_ends_the_run_without_taking_every_job() {
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let mut written = Vec::new();
        run_ordered(
            2,
            0..10_000usize,
            |index| {
                taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                index
            },
            |_| usize::MAX,
            |result| {
                written.push(result);
                if written.len() == 5 {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            },
        );
        assert_eq!(written, [0, 1, 2, 3, 4]);
        // Workers stop within the window of the last result written.
        let taken = taken.into_inner();
        assert!(taken <= 5 + 2 * WINDOW_PER_THREAD + 2, "{taken} jobs taken");
    }
}
