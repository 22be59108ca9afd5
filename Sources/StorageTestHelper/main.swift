// A helper process for the storage tests: it writes, reads or holds a transaction on an environment so that
// the tests can run a second process beside their own and SIGKILL it at any moment.
import CatalogStorage

#if canImport(Glibc)
    import Glibc
#endif

let databases = ["data"]

/// Writes a whole line to a file descriptor at once, unbuffered, so a SIGKILL never leaves an acknowledged
/// line unwritten.
func emit(_ line: String, to fd: Int32) {
    let bytes = Array("\(line)\n".utf8)
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
        if result <= 0 { exit(3) }
        written += result
    }
}

func say(_ line: String) { emit(line, to: STDOUT_FILENO) }

func fail(_ message: String) -> Never {
    emit("StorageTestHelper: \(message)", to: STDERR_FILENO)
    exit(1)
}

func open(_ path: String, mapSize: Int = 1 << 30) -> (Environment, Database) {
    do {
        let environment = try Environment.open(at: path, options: .init(databases: databases, mapSize: mapSize))
        return (environment, try environment.database("data"))
    } catch {
        fail("cannot open \(path): \(error)")
    }
}

func number(_ bytes: [UInt8]?) -> UInt64 {
    guard let bytes, bytes.count == 8 else { return 0 }
    return bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
}

func bytes(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

/// Writes 100-byte values whose last 8 bytes are a checksum of the rest, so a torn value is detectable.
func recordValue(for key: String) -> [UInt8] {
    var value = Array(repeating: UInt8(0), count: 92)
    for (index, byte) in key.utf8.enumerated() { value[index % 92] ^= byte &+ UInt8(truncatingIfNeeded: index) }
    let sum = value.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) }
    return value + bytes(sum)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: StorageTestHelper COMMAND PATH …") }
let path = arguments[2]

switch arguments[1] {
case "batches":
    // Commits batches of 20 records forever; each batch stores the sum of its values, and `last` the number of
    // the newest batch. Prints `ack N` after batch N has committed.
    let (environment, data) = open(path, mapSize: 64 * 1024)
    var batch = (try? environment.read { tx in number(try tx.get(RecordKey("last"), in: data)) }) ?? 0
    var generator = SystemRandomNumberGenerator()
    while true {
        batch += 1
        let current = batch
        do {
            try environment.writeBlocking { tx in
                var sum: UInt64 = 0
                for index in 0..<20 {
                    let value = UInt64.random(in: 1...1_000_000, using: &generator)
                    sum += value
                    try tx.put(bytes(value), for: RecordKey("batch/\(current)/\(index)"), in: data)
                }
                try tx.put(bytes(sum), for: RecordKey("sum/\(current)"), in: data)
                try tx.put(bytes(current), for: RecordKey("last"), in: data)
            }
        } catch {
            fail("batch \(current): \(error)")
        }
        say("ack \(current)")
    }

case "insert":
    // Inserts COUNT records named PREFIX-<n>, ten per transaction.
    guard arguments.count == 5, let count = Int(arguments[4]) else { fail("usage: insert PATH PREFIX COUNT") }
    let prefix = arguments[3]
    let (environment, data) = open(path)
    var next = 0
    while next < count {
        let start = next
        let end = min(count, next + 10)
        do {
            try environment.writeBlocking { tx in
                for index in start..<end {
                    let key = "\(prefix)-\(index)"
                    guard try tx.insert(recordValue(for: key), for: RecordKey(key), in: data) else {
                        fail("\(key) already exists")
                    }
                }
            }
        } catch {
            fail("insert: \(error)")
        }
        next = end
    }
    say("inserted \(count)")

case "hold-reader":
    // Begins a read transaction, says so, and sleeps inside it until killed.
    let (environment, data) = open(path)
    do {
        try environment.read { tx in
            _ = try tx.count(of: data)
            say("reading")
            while true { sleep(60) }
        }
    } catch {
        fail("hold-reader: \(error)")
    }

case "churn":
    // Writes and reads back small records for SECONDS on a 64 KiB map, while another process grows the map.
    guard arguments.count == 4, let seconds = Double(arguments[3]) else { fail("usage: churn PATH SECONDS") }
    let (environment, data) = open(path, mapSize: 64 * 1024)
    var clock = timespec()
    clock_gettime(CLOCK_MONOTONIC, &clock)
    let deadline = Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9 + seconds
    var writes = 0
    var reads = 0
    say("started")
    while true {
        clock_gettime(CLOCK_MONOTONIC, &clock)
        if Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9 > deadline { break }
        let key = "churn-\(writes)"
        do {
            try environment.writeBlocking { tx in try tx.put(recordValue(for: key), for: RecordKey(key), in: data) }
            writes += 1
            let seen = try environment.read { tx in
                var seen = 0
                try tx.scan(data, in: .prefix(Array("churn-".utf8))) { key, value in
                    guard Array(value) == recordValue(for: String(decoding: key, as: UTF8.self)) else {
                        fail("torn value under \(String(decoding: key, as: UTF8.self))")
                    }
                    seen += 1
                    return true
                }
                return seen
            }
            guard seen == writes else { fail("read \(seen) churn records after \(writes) writes") }
            reads += 1
        } catch {
            fail("churn: \(error)")
        }
    }
    say("churned writes=\(writes) reads=\(reads)")

case "open":
    // Opens the environment (which clears stale reader slots) and reports what it found.
    let (environment, _) = open(path)
    let inUse = (try? environment.stats().readersInUse) ?? -1
    say("cleared \(environment.clearedStaleReaders) in-use \(inUse)")

case "count-writes":
    // Inserts NAME-1 … NAME-LIMIT, one per transaction, printing `ack NAME N` once record N has committed. A
    // refused write prints `refused ERROR` and ends the process with status 4.
    guard arguments.count == 5, let limit = Int(arguments[4]) else { fail("usage: count-writes PATH NAME LIMIT") }
    let name = arguments[3]
    let (environment, data) = open(path)
    say("opened")
    for index in 1...limit {
        do {
            try environment.writeBlocking { tx in
                try tx.put(recordValue(for: "\(name)-\(index)"), for: RecordKey("\(name)-\(index)"), in: data)
            }
        } catch {
            say("refused \(error)")
            exit(4)
        }
        say("ack \(name) \(index)")
    }
    say("done")

case "list":
    // Prints `key K` for every record, then `count N`.
    let (environment, data) = open(path)
    do {
        let keys = try environment.read { tx in try tx.entries(in: data).map { String(decoding: $0.key, as: UTF8.self) }
        }
        for key in keys { say("key \(key)") }
        say("count \(keys.count)")
    } catch {
        fail("list: \(error)")
    }

case "in-use":
    // Prints whether a process other than this one has the environment open (without opening it).
    do {
        say("in-use \(try Environment.isInUseByAnotherProcess(at: path))")
    } catch {
        fail("in-use: \(error)")
    }

default:
    fail("unknown command \(arguments[1])")
}
