"""`mtclean lsp`: a language server (stdio, pygls) on the same prepared engine as the
review page: diagnostics, code actions and teachings for plain text and Markdown."""
