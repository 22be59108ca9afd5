internal import CLMDB

extension Environment {
    /// The version of the LMDB library this process runs with, such as `LMDB 0.9.24: (July 24, 2019)`, for
    /// `catalog --version`. Wraps `mdb_version`.
    public static var lmdbVersion: String { String(cString: mdb_version(nil, nil, nil)) }
}
