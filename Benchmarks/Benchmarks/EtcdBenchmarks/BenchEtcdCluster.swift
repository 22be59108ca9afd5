// A 3-member etcd cluster on loopback for one benchmark process (CatalogTestSupport's EtcdCluster is not a
// product of the root package, so this is a small copy of its start logic): members started with etcd's
// default timings and Txn limit (128 operations), data in a temporary directory, stopped by PID.

import Baselines
import CatalogEtcd
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

final class BenchEtcdCluster {
    let endpoints: [String]
    let pids: [Int32]
    private let directory: TemporaryDirectory
    private let stopped = Mutex(false)

    /// Starts the members and waits (through `EtcdStore.open`, which retries until a member with a leader
    /// answers) until the cluster serves requests.
    init(members count: Int = 3) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd") else {
            throw BaselineError(operation: "etcd", code: -1, message: "etcd is not installed (Debian's etcd-server)")
        }
        directory = try TemporaryDirectory(prefix: "bench-etcd")
        let ports = try Self.freePorts(2 * count)
        let names = (1...count).map { "m\($0)" }
        let clients = (0..<count).map { "http://127.0.0.1:\(ports[2 * $0])" }
        let peers = (0..<count).map { "http://127.0.0.1:\(ports[2 * $0 + 1])" }
        let initial = zip(names, peers).map { "\($0)=\($1)" }.joined(separator: ",")
        var pids: [Int32] = []
        for index in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/etcd")
            process.arguments = [
                "--name", names[index], "--data-dir", directory.file(names[index]),
                "--listen-client-urls", clients[index], "--advertise-client-urls", clients[index],
                "--listen-peer-urls", peers[index], "--initial-advertise-peer-urls", peers[index],
                "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token",
                "bench-\(ports[0])",
            ]
            let log = directory.file("\(names[index]).log")
            FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            pids.append(process.processIdentifier)
            BenchEtcdRegistry.shared.add(process.processIdentifier)
        }
        endpoints = clients
        self.pids = pids
        var options = EtcdStore.Options(keyspaces: ["probe"])
        options.giveUpAfter = .seconds(30)
        _ = try EtcdStore.open(endpoints: endpoints, prefix: "bench-probe", options: options)
    }

    deinit { stop() }

    /// SIGKILLs every member (by PID) and waits for each.
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        for pid in pids {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            BenchEtcdRegistry.shared.remove(pid)
        }
    }

    /// `count` TCP ports that were free on 127.0.0.1 a moment ago.
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        return try (0..<count).map { _ in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BaselineError(operation: "socket", code: errno, message: "no socket") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw BaselineError(operation: "bind", code: errno, message: "no free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}

/// The PIDs of members still running; an `atexit` handler kills them if the benchmark process exits first.
final class BenchEtcdRegistry: Sendable {
    static let shared = BenchEtcdRegistry()
    private let pids = Mutex<Set<Int32>>([])

    private init() { atexit { BenchEtcdRegistry.shared.killAll() } }

    func add(_ pid: Int32) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: Int32) { pids.withLock { _ = $0.remove(pid) } }
    func killAll() { for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) } }
}
