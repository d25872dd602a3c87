"""`newsdigest demo`: the whole system on this machine, with an emulated Telegram and our own feeds."""
