#ifndef CATALOG_CLMDB_SHIM_H
#define CATALOG_CLMDB_SHIM_H
#include <lmdb.h>
/* statfs, for refusing network file systems before LMDB opens a directory on one. */
#include <sys/vfs.h>
#endif
