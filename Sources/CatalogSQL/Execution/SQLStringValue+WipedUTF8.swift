internal import ConnectionCatalog

// A literal reaches the validator as it is, in the lexer's wiped storage: the validator copies a sealed key's
// bytes into wiped storage of its own and makes a `String` only of a plain key's value.
extension SQLStringValue: WipedUTF8 {}
