"""One screen per stage; each reads `self.app.project` and does database work in thread workers."""
