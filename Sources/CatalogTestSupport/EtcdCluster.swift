internal import Foundation
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// A real etcd cluster on loopback for tests: `members` `etcd` processes (Debian's `etcd-server`), each with
/// its data directory in a fresh temporary directory and client and peer ports picked free by binding port 0.
///
/// `init` returns once every member answers `/health` (bounded); `stop()` and `deinit` SIGKILL every member
/// still running, by PID, and wait for it, so no test leaves an etcd behind. A process-wide registry kills any
/// member still alive when the test process exits normally.
public final class EtcdCluster: Sendable {
    /// One member: its name, URLs and process.
    public struct Member: Sendable {
        public let name: String
        public let clientURL: String
        public let peerURL: String
        public let pid: Int32
    }

    public let members: [Member]
    private let directory: TemporaryDirectory
    private let processes: [EtcdMemberProcess]
    public let maxTxnOperations: Int

    /// The client URLs of every member, in member order.
    public var endpoints: [String] { members.map(\.clientURL) }

    /// Starts `members` etcd processes as one new cluster, allowing `maxTxnOperations` operations per `Txn`.
    ///
    /// - Throws: `EtcdCluster.Failure` if `etcd` is not installed or the cluster does not become healthy
    ///   within `startTimeout` seconds (with the end of each member's log).
    public init(members count: Int = 3, maxTxnOperations: Int = 128, startTimeout: Double = 30) throws {
        guard
            let etcd = ["/usr/bin/etcd", "/usr/local/bin/etcd"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw Failure("etcd is not installed; `make deps` installs Debian's etcd-server") }
        directory = TemporaryDirectory("etcd-cluster")
        self.maxTxnOperations = maxTxnOperations
        let ports = try Self.freePorts(2 * count)
        let names = (1...count).map { "m\($0)" }
        let clientURLs = (0..<count).map { "http://127.0.0.1:\(ports[2 * $0])" }
        let peerURLs = (0..<count).map { "http://127.0.0.1:\(ports[2 * $0 + 1])" }
        let initialCluster = zip(names, peerURLs).map { "\($0)=\($1)" }.joined(separator: ",")
        var processes: [EtcdMemberProcess] = []
        var members: [Member] = []
        do {
            for index in 0..<count {
                let arguments = [
                    "--name", names[index], "--data-dir", directory.appending(names[index]),
                    "--listen-client-urls", clientURLs[index], "--advertise-client-urls", clientURLs[index],
                    "--listen-peer-urls", peerURLs[index], "--initial-advertise-peer-urls", peerURLs[index],
                    "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                    "--initial-cluster-token", "test-\(ports[0])", "--max-txn-ops", String(maxTxnOperations),
                    "--heartbeat-interval", "50", "--election-timeout", "500",
                ]
                let process = try EtcdMemberProcess(
                    executable: etcd, arguments: arguments, log: directory.appending("\(names[index]).log"))
                EtcdProcessRegistry.shared.add(process)
                processes.append(process)
                members.append(
                    Member(name: names[index], clientURL: clientURLs[index], peerURL: peerURLs[index], pid: process.pid)
                )
            }
        } catch {
            for process in processes { process.kill() }
            throw error
        }
        self.processes = processes
        self.members = members
        let deadline = Date().addingTimeInterval(startTimeout)
        var healthy = Set<Int>()
        while healthy.count < count {
            for index in 0..<count where !healthy.contains(index) && Self.isHealthy(clientURLs[index]) {
                healthy.insert(index)
            }
            if healthy.count == count { break }
            if Date() >= deadline || processes.contains(where: { !$0.isRunning }) {
                let logs = names.map { name in
                    let text = (try? String(contentsOfFile: directory.appending("\(name).log"), encoding: .utf8)) ?? ""
                    return "\(name): " + String(text.suffix(600))
                }
                stop()
                throw Failure(
                    "the etcd cluster did not become healthy within \(Int(startTimeout)) s:\n"
                        + logs.joined(separator: "\n"))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit { stop() }

    /// SIGKILLs member `index` (by PID) and waits until it is gone (reaped).
    public func kill(_ index: Int) { processes[index].kill() }

    /// Whether member `index` is still running.
    public func isRunning(_ index: Int) -> Bool { processes[index].isRunning }

    /// SIGKILLs every member still running and waits for each.
    public func stop() {
        for process in processes { process.kill() }
    }

    /// Whether the member at `clientURL` answers `/health` with `"health":"true"` (it has a leader).
    public static func isHealthy(_ clientURL: String) -> Bool {
        guard let port = URL(string: clientURL)?.port,
            let answer = LoopbackHTTP.request(port: port, method: "GET", path: "/health")
        else { return false }
        return String(decoding: answer.body, as: UTF8.self).contains("\"health\":\"true\"")
    }

    /// The index of the member that is the Raft leader now, as the running members see it
    /// (`/v3/maintenance/status`); `nil` while they name none or disagree (an election is under way).
    public func leader() -> Int? {
        var ids: [Int: String] = [:]
        var named = Set<String>()
        for (index, member) in members.enumerated() where isRunning(index) {
            guard let port = URL(string: member.clientURL)?.port,
                let answer = LoopbackHTTP.request(
                    port: port, method: "POST", path: "/v3/maintenance/status", body: Array("{}".utf8)),
                answer.status == 200,
                let status = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
                let header = status["header"] as? [String: Any], let id = header["member_id"] as? String
            else { continue }
            ids[index] = id
            if let leader = status["leader"] as? String, leader != "0" { named.insert(leader) }
        }
        guard named.count == 1, let leader = named.first else { return nil }
        return ids.first { $0.value == leader }?.key
    }

    /// Waits up to `timeout` seconds for the running members to agree on a leader; its index, or `nil`.
    public func awaitLeader(timeout: Double = 15) -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let leader = leader() { return leader }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// `count` distinct TCP ports that were free on 127.0.0.1 a moment ago (bound to port 0, then released).
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket failed: \(String(cString: strerror(errno)))") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw Failure("bind failed: \(String(cString: strerror(errno)))") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }

    /// Why a cluster could not start.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

/// Every etcd member this process started; an `atexit` handler kills those still running, so a cluster held by
/// a static or leaked by a failing test does not outlive the test run.
private final class EtcdProcessRegistry: Sendable {
    static let shared = EtcdProcessRegistry()
    private let members = Mutex<[EtcdMemberProcess]>([])

    private init() {
        atexit { EtcdProcessRegistry.shared.killAll() }
    }

    func add(_ member: EtcdMemberProcess) { members.withLock { $0.append(member) } }

    func killAll() {
        for member in members.withLock({ $0 }) { member.kill() }
    }
}
