using ScottPlot;
using SkiaSharp;

namespace SbiSharp.Plotting;

/// <summary>Writes ScottPlot figures headlessly to PNG or SVG (by file extension), with an embedded font so text renders on machines without fonts.</summary>
public static class Figure
{
    private const string FontName = "DejaVu Sans";
    private static readonly object Gate = new();
    private static bool _fontReady;

    /// <summary>Registers the embedded DejaVu Sans font as ScottPlot's default (idempotent, thread-safe).</summary>
    public static void EnsureFont()
    {
        lock (Gate)
        {
            if (_fontReady) return;
            var path = Path.Combine(Path.GetTempPath(), "sbisharp-DejaVuSans-2.37.ttf");
            if (!File.Exists(path) || new FileInfo(path).Length == 0)
            {
                using var resource = typeof(Figure).Assembly.GetManifestResourceStream("SbiSharp.Plotting.DejaVuSans.ttf")
                    ?? throw new InvalidOperationException("The embedded font SbiSharp.Plotting.DejaVuSans.ttf is missing from the assembly.");
                var temp = path + "." + Environment.ProcessId;
                using (var file = File.Create(temp)) resource.CopyTo(file);
                File.Move(temp, path, overwrite: true);
            }
            Fonts.AddFontFile(FontName, path);
            Fonts.Default = FontName;
            _fontReady = true;
        }
    }

    /// <summary>A new plot with the embedded font applied.</summary>
    public static Plot NewPlot()
    {
        EnsureFont();
        return new Plot();
    }

    /// <summary>Saves a single plot; the extension (.png or .svg) picks the format.</summary>
    /// <exception cref="ArgumentException">Unsupported extension.</exception>
    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        PrepareDirectory(path);
        switch (Extension(path))
        {
            case ".png": SbiSharp.IO.AtomicFile.Save(path, temp => plot.SavePng(temp, width, height)); break;
            case ".svg": SbiSharp.IO.AtomicFile.Save(path, temp => plot.SaveSvg(temp, width, height)); break;
        }
    }

    /// <summary>Saves a grid of plots; the extension (.png or .svg) picks the format.</summary>
    public static void Save(Multiplot figure, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(figure);
        PrepareDirectory(path);
        switch (Extension(path))
        {
            case ".png":
                SbiSharp.IO.AtomicFile.Save(path, temp => figure.SavePng(temp, width, height));
                break;
            case ".svg":
                SbiSharp.IO.AtomicFile.Write(path, stream =>
                {
                    using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
                    figure.Render(canvas, new PixelRect(0, width, height, 0));
                });
                break;
        }
    }

    /// <summary>A grid of <paramref name="count"/> plots in <paramref name="columns"/> columns.</summary>
    public static Multiplot Grid(int count, int columns)
    {
        EnsureFont();
        var figure = new Multiplot();
        figure.AddPlots(count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid((count + columns - 1) / columns, columns);
        return figure;
    }

    private static string Extension(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg"))
            throw new ArgumentException($"`path` must end in .png or .svg; got '{Path.GetFileName(path)}'.", nameof(path));
        return ext;
    }

    private static void PrepareDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Extension(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}
