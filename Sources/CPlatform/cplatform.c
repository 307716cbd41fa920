// Linux calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).
#define _GNU_SOURCE
#include "cplatform.h"

#include <errno.h>
#include <fcntl.h>

int tracelog_fallocate_keep_size(int fd, int64_t offset, int64_t length) {
#ifdef __linux__
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
#else
    (void)fd; (void)offset; (void)length;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

#ifdef __linux__
#include <sys/random.h>
#endif

long tracelog_getrandom(void *buffer, size_t length) {
#ifdef __linux__
    return (long)getrandom(buffer, length, 0);
#else
    (void)buffer; (void)length;
    errno = ENOSYS;
    return -1;
#endif
}
