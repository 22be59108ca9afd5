#if canImport(Glibc)
    internal import Glibc
#endif

/// What a path holds, as far as an LMDB environment directory goes: asked before anything is created there.
///
/// It lives in the storage layer because only this layer knows which files LMDB keeps (`data.mdb`, `lock.mdb`).
/// Nothing here opens a file, so a FIFO or a device in the way is reported, never waited on.
package enum EnvironmentDirectory {
    /// The data file of an environment directory.
    package static let dataFileName = "data.mdb"
    /// LMDB's lock file of an environment directory.
    package static let lockFileName = "lock.mdb"

    /// What is at a catalog path.
    package enum State: Sendable, Equatable {
        /// Nothing: the directory (and perhaps its parents) does not exist.
        case missing
        /// A directory with no entries but, at most, LMDB's lock file and the names the caller ignores.
        case empty
        /// A directory holding a data file (a regular file): an environment, perhaps an empty one.
        case environment
        /// A directory holding other things and no data file: not an environment. `entries` are a few of them.
        case otherFiles(entries: [String])
        /// Something that is not a directory.
        case notADirectory
    }

    /// What `path` holds. `ignoring` names entries that do not make a directory non-empty (a key file the
    /// caller keeps there).
    ///
    /// - Throws: `StorageError` `.notARegularFile` if `data.mdb` or `lock.mdb` is a FIFO, device, socket or
    ///   directory; an `errno` code when the directory cannot be read.
    package static func inspect(_ path: String, ignoring: Set<String> = []) throws(StorageError) -> State {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return .missing }
            throw StorageError.system("stat", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return .notADirectory }
        let dataFile = "\(path)/\(dataFileName)"
        try requireRegularFileIfPresent(dataFile)
        try requireRegularFileIfPresent("\(path)/\(lockFileName)")
        if try regularFileExists(dataFile) { return .environment }
        guard let directory = opendir(path) else { throw StorageError.system("opendir", path: path) }
        defer { closedir(directory) }
        var others: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || name == lockFileName || ignoring.contains(name) { continue }
            others.append(name)
            if others.count == 3 { break }
        }
        return others.isEmpty ? .empty : .otherFiles(entries: others.sorted())
    }

    /// Refuses a file at `path` that is not a regular file (a FIFO would make LMDB's first read wait forever).
    /// A missing file passes: LMDB creates it. Follows symbolic links, as LMDB's `open` does.
    ///
    /// - Throws: `StorageError` `.notARegularFile`, or the `errno` code of a failed `stat`.
    package static func requireRegularFileIfPresent(_ path: String) throws(StorageError) {
        _ = try regularFileExists(path)
    }

    /// Whether a regular file is at `path`; throws for anything else that is there.
    static func regularFileExists(_ path: String) throws(StorageError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return false }
            throw StorageError.system("stat", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StorageError(
                code: .notARegularFile, operation: "stat",
                message: "'\(path)' is \(fileKind(info.st_mode)), not a regular file; a catalog's files are regular "
                    + "files: move it away or choose another catalog path")
        }
        return true
    }

    /// A phrase for the kind of file `mode` describes.
    static func fileKind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        default: "a special file"
        }
    }
}
