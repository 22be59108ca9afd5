/* CRC-32C for the record checksum: every record read or written is checked, so this is on the hot path of
   each lookup. The x86-64 CRC32 instruction computes exactly this polynomial, 8 bytes per instruction. */
#include "ccrc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

static uint32_t table[256];
static int hardware;

__attribute__((constructor)) static void ccrc32c_init(void) {
    for (uint32_t index = 0; index < 256; index++) {
        uint32_t crc = index;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        table[index] = crc;
    }
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    hardware = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_2);
#endif
}

static uint32_t by_table(uint32_t crc, const uint8_t *bytes, size_t length) {
    while (length--) crc = table[(crc ^ *bytes++) & 0xFF] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t by_instruction(uint32_t crc, const uint8_t *bytes, size_t length) {
    uint64_t wide = crc;
    for (; length >= 8; bytes += 8, length -= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        wide = __builtin_ia32_crc32di(wide, word);
    }
    uint32_t narrow = (uint32_t)wide;
    for (; length > 0; bytes++, length--) narrow = __builtin_ia32_crc32qi(narrow, *bytes);
    return narrow;
}
#endif

uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length) {
    const uint8_t *bytes = data;
    uint32_t state = ~crc;
#if defined(__x86_64__)
    if (hardware) return ~by_instruction(state, bytes, length);
#endif
    return ~by_table(state, bytes, length);
}
