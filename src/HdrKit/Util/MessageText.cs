using System.Text;

namespace HdrKit.Util;

/// <summary>
/// Keeps error messages to one printable line when they quote names taken from a file (attribute, channel,
/// tensor and key names), which a malformed or hostile file can fill with newlines and control characters.
/// </summary>
public static class MessageText
{
    /// <summary>Control characters become \xNN escapes; the message itself is otherwise unchanged.</summary>
    public static string OneLine(string message)
    {
        if (!message.Any(char.IsControl)) return message;
        var sb = new StringBuilder(message.Length + 16);
        foreach (char c in message)
            if (char.IsControl(c)) sb.Append($"\\x{(int)c:x2}"); else sb.Append(c);
        return sb.ToString();
    }

    /// <summary>The same exception with a one-line message, or <paramref name="e"/> itself when it already has one.</summary>
    public static InvalidDataException OneLine(InvalidDataException e) =>
        e.Message.Any(char.IsControl) ? new InvalidDataException(OneLine(e.Message), e) : e;
}
