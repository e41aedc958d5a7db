using HdrKit.Util;

namespace HdrKit.Cli;

/// <summary>
/// In a source checkout the team's reference data sits in ../shared next to the repository; the CLI offers it to
/// the library as the default <see cref="DataFolder"/> unless HDRKIT_DATA is set. Published builds have no such
/// folder and keep requiring explicit paths or HDRKIT_DATA.
/// </summary>
public static class DataDefaults
{
    public static void Apply() => TeamDataFolder.OfferAsDataFolder();
}
