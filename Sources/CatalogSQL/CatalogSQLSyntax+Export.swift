// The statements a session runs, their positions and their syntax errors are part of CatalogSQL's own API: a
// caller that imports CatalogSQL sees them without importing the syntax target as well.
@_exported public import CatalogSQLSyntax
