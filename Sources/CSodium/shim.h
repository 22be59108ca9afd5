#ifndef CATALOG_CSODIUM_SHIM_H
#define CATALOG_CSODIUM_SHIM_H
#include <sodium.h>
#endif
