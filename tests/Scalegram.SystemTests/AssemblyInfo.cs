// Real servers and whole topologies on 2 shared cores, and the AppHost's fixed ports: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
