print("tracelog-workload")
