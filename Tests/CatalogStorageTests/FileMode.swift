#if canImport(Glibc)
    import Glibc
#endif

struct FileModeError: Error { let path: String }

/// The permission bits of `path`.
func fileMode(_ path: String) throws -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { throw FileModeError(path: path) }
    return info.st_mode & 0o777
}
