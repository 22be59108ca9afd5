/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum that ends every record.
///
/// Same parameters as iSCSI, ext4 and LevelDB: initial value and final XOR 0xFFFFFFFF. The check value of
/// the ASCII bytes `123456789` is 0xE3069283. Table-driven, one byte at a time: a 200-byte record costs well
/// under a microsecond, and LMDB itself checks nothing.
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes { crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8) }
            return crc ^ 0xFFFF_FFFF
        }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
