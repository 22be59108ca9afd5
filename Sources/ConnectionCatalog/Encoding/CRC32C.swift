internal import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum that ends every record.
///
/// Same parameters as iSCSI, ext4 and LevelDB: initial value and final XOR 0xFFFFFFFF. The check value of
/// the ASCII bytes `123456789` is 0xE3069283. Every record read is checked, so this is on the hot path of
/// each lookup and scan: it runs in C (`CCRC32C`) on the CPU's CRC32C instruction, eight bytes at a time,
/// or on a table where the CPU has none.
enum CRC32C {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        ccrc32c_extend(0, bytes.baseAddress, bytes.count)
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
