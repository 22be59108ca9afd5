#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF) of
   `length` bytes at `data`, continuing a checksum `crc` returned earlier (0 to start). The CPU's CRC32C
   instruction (x86-64 SSE4.2) is used when it has one, checked once; a table otherwise. */
uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length);

#endif
