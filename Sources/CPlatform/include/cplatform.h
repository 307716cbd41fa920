#ifndef TRACELOG_CPLATFORM_H
#define TRACELOG_CPLATFORM_H

#include <stdint.h>

/// fallocate(2) with FALLOC_FL_KEEP_SIZE: reserves blocks without changing the file's length.
/// Returns 0 or -1 with errno set (EOPNOTSUPP where the file system cannot do it).
int tracelog_fallocate_keep_size(int fd, int64_t offset, int64_t length);

#endif
