#ifndef CATALOG_CLMDB_SHIM_H
#define CATALOG_CLMDB_SHIM_H
#include <lmdb.h>
#endif
