#ifndef TRACELOG_CPLATFORM_H
#define TRACELOG_CPLATFORM_H

#include <stddef.h>
#include <stdint.h>

/// fallocate(2) with FALLOC_FL_KEEP_SIZE: reserves blocks without changing the file's length.
/// Returns 0 or -1 with errno set (EOPNOTSUPP where the file system cannot do it).
int tracelog_fallocate_keep_size(int fd, int64_t offset, int64_t length);

/// getrandom(2) from the kernel's secure generator (flags 0). Returns the bytes written, or -1 with errno set.
/// Linux only; elsewhere it returns -1 with errno ENOSYS.
long tracelog_getrandom(void *buffer, size_t length);

/// Asks the CPU to bring the cache line holding `address` into its caches for reading (a hint: it never faults,
/// and does nothing for an address that is not mapped or not resident). Lets a lookup that probes many
/// independent places (the key filters of every segment) wait for their cache misses together.
static inline void tracelog_prefetch_read(const void *address) { __builtin_prefetch(address, 0, 3); }

/// As `tracelog_prefetch_read`, for a line about to be written: lets a batch of hash-table insertions into tables
/// larger than the caches wait for their cache misses together instead of one after another.
static inline void tracelog_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
