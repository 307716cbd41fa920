// CRC32C (Castagnoli) for batch checksums.
//
// Hardware path: the SSE4.2 `crc32` instruction, 8 bytes per step, three independent streams on inputs of 768
// bytes or more (see below).
// Portable path: slicing-by-8 tables built once; used on CPUs without SSE4.2 and on other architectures.
// The two paths are checked against each other and against the standard check value by the tests.
#include "crc32c.h"

#include <pthread.h>
#include <string.h>

#define CRC32C_POLY 0x82F63B78u

static uint32_t crc_table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ CRC32C_POLY : crc >> 1;
        crc_table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = crc_table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = crc_table[0][crc & 0xff] ^ (crc >> 8);
            crc_table[k][n] = crc;
        }
    }
}

uint32_t tracelog_crc32c_portable(uint32_t crc, const void *data, size_t length) {
    pthread_once(&table_once, build_tables);
    const unsigned char *p = data;
    crc = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        // Little-endian load; the tables assume it (x86_64, arm64 Linux).
        word ^= crc;
        crc = crc_table[7][word & 0xff] ^ crc_table[6][(word >> 8) & 0xff] ^ crc_table[5][(word >> 16) & 0xff] ^
              crc_table[4][(word >> 24) & 0xff] ^ crc_table[3][(word >> 32) & 0xff] ^
              crc_table[2][(word >> 40) & 0xff] ^ crc_table[1][(word >> 48) & 0xff] ^ crc_table[0][word >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
// One `crc32` step has a latency of 3 cycles but the CPU can start one per cycle, so one dependent chain runs at
// a third of the instruction's throughput. Long inputs are cut into three blocks checksummed side by side, then
// combined: a CRC register advanced over `n` bytes is a linear function of the register, so
// crc(a ++ b) = shift_n(crc(a)) ^ crc0(b), where crc0 starts from a zero register and shift_n advances a register
// over n zero bytes — a 32×32 bit matrix, applied with four 256-entry tables per block size.
#define CRC32C_LONG 2048
#define CRC32C_SHORT 256

static uint32_t shift_long[4][256];
static uint32_t shift_short[4][256];

__attribute__((target("sse4.2"))) static uint32_t advance_over_zeros(uint32_t crc, size_t length) {
    uint64_t c = crc;
    for (size_t n = 0; n < length; n += 8) c = __builtin_ia32_crc32di(c, 0);
    return (uint32_t)c;
}

static void build_shift(uint32_t table[4][256], size_t length) {
    uint32_t bit_images[32];
    for (int bit = 0; bit < 32; bit++) bit_images[bit] = advance_over_zeros((uint32_t)1 << bit, length);
    for (int byte = 0; byte < 4; byte++) {
        for (uint32_t value = 0; value < 256; value++) {
            uint32_t image = 0;
            for (int bit = 0; bit < 8; bit++) {
                if ((value >> bit) & 1) image ^= bit_images[byte * 8 + bit];
            }
            table[byte][value] = image;
        }
    }
}

static inline uint32_t shift(const uint32_t table[4][256], uint32_t crc) {
    return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff] ^ table[2][(crc >> 16) & 0xff] ^ table[3][crc >> 24];
}

static inline uint64_t load64(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

// Three blocks of `block` bytes (a multiple of 8) from `p`, continuing from register `c`.
__attribute__((target("sse4.2"))) static inline uint64_t three_blocks(
    uint64_t c, const unsigned char *p, size_t block, const uint32_t table[4][256]) {
    uint64_t c0 = c, c1 = 0, c2 = 0;
    for (const unsigned char *end = p + block; p < end; p += 8) {
        c0 = __builtin_ia32_crc32di(c0, load64(p));
        c1 = __builtin_ia32_crc32di(c1, load64(p + block));
        c2 = __builtin_ia32_crc32di(c2, load64(p + 2 * block));
    }
    uint32_t combined = shift(table, (uint32_t)c0) ^ (uint32_t)c1;
    return shift(table, combined) ^ (uint32_t)c2;
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = data;
    uint64_t c = ~crc;
    while (length >= 3 * CRC32C_LONG) {
        c = three_blocks(c, p, CRC32C_LONG, shift_long);
        p += 3 * CRC32C_LONG;
        length -= 3 * CRC32C_LONG;
    }
    while (length >= 3 * CRC32C_SHORT) {
        c = three_blocks(c, p, CRC32C_SHORT, shift_short);
        p += 3 * CRC32C_SHORT;
        length -= 3 * CRC32C_SHORT;
    }
    while (length >= 8) {
        c = __builtin_ia32_crc32di(c, load64(p));
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (length--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}

static int has_sse42(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("sse4.2")) return 0;
    build_shift(shift_long, CRC32C_LONG);
    build_shift(shift_short, CRC32C_SHORT);
    return 1;
}
#else
static int has_sse42(void) { return 0; }
static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t length) {
    return tracelog_crc32c_portable(crc, data, length);
}
#endif

static int hardware = -1;
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
static void detect(void) { hardware = has_sse42(); }

int tracelog_crc32c_is_hardware(void) {
    pthread_once(&detect_once, detect);
    return hardware;
}

uint32_t tracelog_crc32c(uint32_t crc, const void *data, size_t length) {
    if (tracelog_crc32c_is_hardware()) return crc32c_sse42(crc, data, length);
    return tracelog_crc32c_portable(crc, data, length);
}
