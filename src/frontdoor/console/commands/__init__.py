"""The subcommands of `frontdoor`, one module per group of people who use them."""
