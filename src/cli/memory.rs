//! Tells the C allocator to keep freed memory for the next document.
//!
//! Each document's analysis builds buffers of a few hundred kilobytes
//! (morphemes, candidate terms, sentence spans) and frees them at its end.
//! With glibc's defaults, blocks from 128 KiB up are mapped for each request
//! and unmapped when freed, and free memory at the top of the heap is
//! handed back to the system beyond 128 KiB, so the next document touches
//! fresh pages, and each first touch of a page is a page fault. On the
//! konlpy documents ×10 (`perf stat -e page-faults kosum --format jsonl -q
//! DIR`) that was 4,904 faults on one thread and 4,182 on two, with system
//! time 5–8% of the run's CPU time, about 3–8 µs per fault on the
//! development machine, a virtual one.
//!
//! Raising both limits keeps that memory with the process, to be reused:
//! 1,753 and 2,145 faults. The process holds on to at most its largest
//! working set between documents (documents over 2 MiB are analysed in
//! sections, which bounds it); peak RSS on that folder was within a few MB
//! of the builds before (benches/RESULTS.md, runs 61–69).

/// Blocks up to this size come from the heap, where freed memory is reused
/// (glibc's own adaptive limit tops out here too).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MAP_THRESHOLD: libc::c_int = 32 << 20;
/// Free memory at the top of the heap is handed back only beyond this.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 64 << 20;

/// Sets the allocator's limits; call before starting other threads. Does
/// nothing where the C library is not glibc.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes glibc malloc's tuning parameters; it
    // takes the allocator's lock, and no allocation depends on the old
    // values.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// Page faults of the calling thread so far.
    fn thread_faults() -> i64 {
        // SAFETY: `getrusage` fills the zeroed struct it is given.
        unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            assert_eq!(libc::getrusage(libc::RUSAGE_THREAD, &mut usage), 0);
            usage.ru_minflt
        }
    }

    /// Allocates and touches eight buffers of 512 KiB, frees them all, as a
    /// document's analysis does with its buffers, `rounds` times; returns the
    /// page faults of the rounds after the first.
    fn faults_of_reused_buffers(rounds: usize) -> i64 {
        let mut after_first = 0;
        for round in 0..rounds {
            let buffers: Vec<Vec<u8>> = (0..8)
                .map(|_| {
                    let mut buffer: Vec<u8> = Vec::with_capacity(512 << 10);
                    // One write per page, through the spare capacity.
                    for page in buffer.spare_capacity_mut().chunks_mut(4096) {
                        page[0].write(1);
                    }
                    buffer
                })
                .collect();
            std::hint::black_box(&buffers);
            drop(buffers);
            if round == 0 {
                after_first = thread_faults();
            }
        }
        thread_faults() - after_first
    }

    #[test]
    fn freed_buffers_are_reused_without_faulting_again() {
        keep_freed_memory();
        // Each round touches 1,024 pages; with glibc's defaults most of
        // them are fresh in every round.
        let faults = faults_of_reused_buffers(11);
        assert!(faults < 1_024, "{faults} page faults in 10 rounds of 4 MiB");
    }
}
