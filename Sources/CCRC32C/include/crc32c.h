#ifndef TRACELOG_CRC32C_H
#define TRACELOG_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Extends a CRC32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
///
/// Start with `crc = 0`; feeding the result back in continues the checksum over more bytes.
/// Uses the SSE4.2 `crc32` instruction when the CPU has it (checked once), and a portable
/// slicing-by-8 table otherwise. Both give identical results.
uint32_t tracelog_crc32c(uint32_t crc, const void *data, size_t length);

/// Computes the checksum with the portable path only (for tests that compare both paths).
uint32_t tracelog_crc32c_portable(uint32_t crc, const void *data, size_t length);

/// Returns 1 when the hardware path is in use, 0 otherwise.
int tracelog_crc32c_is_hardware(void);

#endif
