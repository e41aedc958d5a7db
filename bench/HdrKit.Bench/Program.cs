// Benchmarks live here; each suite is a subcommand: `dotnet run -c Release --project bench/HdrKit.Bench -- <suite>`.
// Results and the commands that produced them are in bench/README.md.
using HdrKit;
using HdrKit.Bench;

// Library defaults (bundled HDR maps, DeepLabV3) look in HDRKIT_DATA; the benchmarks run on the team's data.
TeamDataFolder.OfferAsDataFolder();
try
{
    return BenchRunner.Run(args);
}
catch (ArgumentException e)
{
    // A bad option is the caller's mistake: one line, not a stack trace.
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
