using BenchmarkDotNet.Running;
using CasePathway.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(BreachListBenchmarks).Assembly).Run(args);
