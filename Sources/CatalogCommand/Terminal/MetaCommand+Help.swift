extension MetaCommand {
    /// What `\?` (and `help`) prints.
    static let helpText = """
        General
          \\q                      quit (also quit, exit, or Ctrl-D on an empty line)
          \\?  or  help            this help
          \\h [STATEMENT]          the syntax of a statement (\\h alone lists them: \\h CREATE, \\h SHOW)

        Display
          \\x [on|off]             expanded rows: one "column | value" block per row
          \\format table|json|csv  the output format
          \\timing [on|off]        print how long each statement took
          \\pset pager on|off      page results taller than the terminal ($PAGER, default less -FRX)

        Input and connection
          \\i FILE                 run the statements in FILE
          \\conninfo               the catalog's path, workspace, store and schema version

        Keys
          Up/Down recall earlier statements (redacted), Ctrl-R searches them, Tab completes keywords,
          connection names and property keys, Ctrl-A/Ctrl-E start/end of line, Ctrl-K/Ctrl-W delete,
          Ctrl-C cancels the line being typed (an open BEGIN stays open), Ctrl-D on an empty line leaves.

        """
}
