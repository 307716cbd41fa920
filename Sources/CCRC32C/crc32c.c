// CRC32C (Castagnoli) for batch checksums.
//
// Hardware path: the SSE4.2 `crc32` instruction, 8 bytes per step (~9 GB/s on this machine class).
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
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = data;
    uint64_t c = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (length--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}

static int has_sse42(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
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
