// libFuzzer's entry point for programs that have their own main (compiler-rt, FuzzerInterface.h).
// Only the sanitizer build (-sanitize=fuzzer) links it; the normal build declares it and never calls it.
#ifndef TRACELOG_LIBFUZZER_DRIVER_H
#define TRACELOG_LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
