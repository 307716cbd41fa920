print("tracelog")
