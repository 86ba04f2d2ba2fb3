using BenchmarkDotNet.Running;
using CasePathway.Benchmarks;
using CasePathway.Benchmarks.Scale;

// `scale …`: the England-scale run beside the machine's own limits (docs/performance.md); otherwise BenchmarkDotNet's switcher.
// `fold-profile --children M`: the pure clock-history fold alone, one thread (docs/performance.md).
// `england-scorecard --councils N --children M`: the England-year scorecard on copied council-years of facts (docs/performance.md).
if (args.Length > 0 && args[0] == "england-scorecard") return await EnglandScorecard.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "fold-profile") return FoldProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "rebuild-profile") return await RebuildProfile.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "append-profile") return await AppendProfile.RunAsync(args[1..]);
// `startup-profile [--runs N]`: each step of preparing an up-to-date database at start-up, timed (docs/performance.md).
if (args.Length > 0 && args[0] == "startup-profile") return await StartupProfile.RunAsync(args[1..]);
// `breach-profile --tenant LA [--samples N]`: the breach list's pages against an existing database (docs/performance.md).
if (args.Length > 0 && args[0] == "breach-profile") return await BreachListProfile.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "scale") return await ScaleBenchmark.RunAsync(args[1..]);
// `ssd --children N [--history H]`: the SSD nightly import's time and memory beside raw COPY (docs/performance.md).
if (args.Length > 0 && args[0] == "ssd") return await SsdImportBenchmarks.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(BreachListBenchmarks).Assembly).Run(args);
return 0;
