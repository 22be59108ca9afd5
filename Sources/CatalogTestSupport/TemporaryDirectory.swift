#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under the system's temporary directory, removed with everything in it when released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "catalog-test") {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            fatalError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: created)
    }

    /// The path of `name` inside the directory.
    public func appending(_ name: String) -> String { "\(path)/\(name)" }

    deinit { Self.remove(path) }

    /// Removes `path` recursively (files, symlinks and directories).
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            chmod(path, 0o700)
            if let directory = opendir(path) {
                while let entry = readdir(directory) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) {
                        String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                    }
                    if name != "." && name != ".." { remove("\(path)/\(name)") }
                }
                closedir(directory)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
