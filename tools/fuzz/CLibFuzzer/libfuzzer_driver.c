// Declarations only (see include/libfuzzer_driver.h); a C target needs one source file.
#include "libfuzzer_driver.h"
