using System.Globalization;

namespace HdrKit.Exposure;

/// <summary>
/// Parses the exposure times a user gives on the command line: "--exposures 1/250,1/60,0.5" (seconds, as
/// fractions or decimals) or "--ev -2,0,2" (stops; 0 is the reference and becomes 1 s, so t = 2^ev).
/// </summary>
public static class ExposureSpec
{
    /// <summary>Exposure times in seconds, one per image, in the order given.</summary>
    public static double[] ParseSeconds(string text, int imageCount, string argument = "--exposures")
    {
        var parts = Split(text, imageCount, argument);
        var seconds = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            double t = ParseNumberOrFraction(parts[i], argument, i);
            if (!(t > 0) || !double.IsFinite(t))
                throw new ArgumentException($"{argument}: exposure {i + 1} ('{parts[i]}') must be a positive number of seconds", argument);
            seconds[i] = t;
        }
        ThrowIfRepeated(seconds, parts, argument, "seconds");
        return seconds;
    }

    /// <summary>Exposure values in stops mapped to seconds with the 0-stop reference at 1 s.</summary>
    public static double[] ParseStops(string text, int imageCount, string argument = "--ev")
    {
        var parts = Split(text, imageCount, argument);
        var seconds = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double ev) || !double.IsFinite(ev))
                throw new ArgumentException($"{argument}: '{parts[i]}' (value {i + 1}) is not a number of stops", argument);
            if (Math.Abs(ev) > 64)
                throw new ArgumentException($"{argument}: {ev} stops (value {i + 1}) is outside ±64", argument);
            seconds[i] = Math.Pow(2, ev);
        }
        ThrowIfRepeated(seconds, parts, argument, "stops");
        return seconds;
    }

    /// <summary>
    /// Two frames given the same exposure are almost always a typo (EXIF duplicates are refused for the same reason),
    /// and merging would weigh them as independent evidence of one exposure.
    /// </summary>
    private static void ThrowIfRepeated(double[] seconds, string[] parts, string argument, string unit)
    {
        for (int i = 0; i < seconds.Length; i++)
            for (int j = i + 1; j < seconds.Length; j++)
                if (seconds[i] == seconds[j])
                    throw new ArgumentException($"{argument}: values {i + 1} and {j + 1} ('{parts[i]}', '{parts[j]}') are the same exposure; give each image its own {unit}", argument);
    }

    private static string[] Split(string text, int imageCount, string argument)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{argument} is empty; give one value per image, separated by commas", argument);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw new ArgumentException($"{argument} '{text}' has an empty value", argument);
        if (parts.Length != imageCount)
            throw new ArgumentException($"{argument} has {parts.Length} values but there are {imageCount} images", argument);
        return parts;
    }

    private static double ParseNumberOrFraction(string s, string argument, int index)
    {
        int slash = s.IndexOf('/');
        if (slash < 0)
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        }
        else if (double.TryParse(s[..slash], NumberStyles.Float, CultureInfo.InvariantCulture, out double num)
              && double.TryParse(s[(slash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double den))
        {
            if (den == 0) throw new ArgumentException($"{argument}: '{s}' (value {index + 1}) divides by zero", argument);
            return num / den;
        }
        throw new ArgumentException($"{argument}: '{s}' (value {index + 1}) is not a number of seconds such as 1/250 or 0.004", argument);
    }
}
