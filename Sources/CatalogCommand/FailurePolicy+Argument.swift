public import ArgumentParser
public import CatalogSQL

/// `--on-error stop|continue`.
extension FailurePolicy: ExpressibleByArgument {}
