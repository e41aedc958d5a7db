using HdrKit.Semantic;

namespace HdrKit.Tests.Semantic;

public class SegmentMapTests
{
    [Fact]
    public void LabelsBecomeIdsByDecreasingAreaWithSmallOnesInTheRestBucket()
    {
        // label 7: 4 px, label 3: 6 px, label 9: 1 px (under the minimum), −1: unassigned.
        int[] labels = [3, 3, 3, 7, 7, 7, 3, 3, 3, 7, 9, -1];
        var map = SegmentMap.FromLabels(labels, 4, 3, minArea: 2);
        Assert.Equal(3, map.Count);
        Assert.Equal(2, map.RestId);
        Assert.Equal([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 2, 2], map.Ids);
        Assert.Equal([6, 4, 2], map.Areas());
    }

    [Fact]
    public void NoRestBucketWhenEverySegmentIsLargeEnough()
    {
        int[] labels = [5, 5, 1, 1];
        var map = SegmentMap.FromLabels(labels, 2, 2, minArea: 2);
        Assert.Null(map.RestId);
        Assert.Equal(2, map.Count);
        Assert.Equal([0, 0, 1, 1], map.Ids); // equal areas: the label seen first in raster order gets the lower id
    }

    [Fact]
    public void PainterKeepsSmallerMasksOnTopOfLargerOnes()
    {
        // 4×2 image: a large mask over the left 3 columns, a small one (2 px) inside it, nothing on column 3.
        bool[] large = [true, true, true, false, true, true, true, false];
        bool[] small = [false, true, false, false, false, true, false, false];
        var map = SegmentPainter.Paint([small, large], 4, 2, minArea: 2);
        // Visible areas: large 4 px → id 0, small 2 px → id 1, unassigned column → rest id 2.
        Assert.Equal([0, 1, 0, 2, 0, 1, 0, 2], map.Ids);
        Assert.Equal(2, map.RestId);
    }

    [Fact]
    public void PainterRejectsMasksOfTheWrongSize()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentPainter.Paint([new bool[5]], 2, 2, 1));
        Assert.Contains("2x2", e.Message);
    }
}
