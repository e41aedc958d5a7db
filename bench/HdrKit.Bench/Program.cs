// Benchmarks live here; each suite is a subcommand: `dotnet run -c Release --project bench/HdrKit.Bench -- <suite>`.
// Results and the commands that produced them are in bench/README.md.
using HdrKit.Bench;

return BenchRunner.Run(args);
