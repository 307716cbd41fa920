// Exposes liblz4's block API (LZ4_compress_default, LZ4_decompress_safe) to Swift.
// Installed by Debian's liblz4-dev; found through pkg-config (liblz4.pc).
#include <lz4.h>
