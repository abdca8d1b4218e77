using Market.Matching.Model;

namespace Market.Matching.Tests.Model;

public class GradeTests
{
    [Theory]
    [InlineData(2e9, 4)]        // DeepSpeech2 speech recognition ≈ 2 GFLOPS
    [InlineData(4e12, 3)]       // single-channel face recognition inference ≈ 4 TFLOPS
    [InlineData(64e12, 2)]      // 16-channel face recognition ≈ 64 TFLOPS
    [InlineData(19e15, 1)]      // VGG16 on ImageNet ≈ 19 PFLOPS
    public void Survey_examples_grade_as_the_survey_says(double flops, byte grade) =>
        Assert.Equal(grade, DemandModel.GradeOfFlops(flops));

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 4)]
    [InlineData(499UL, 4)]
    [InlineData(500UL, 3)]
    [InlineData(9_999UL, 3)]
    [InlineData(10_000UL, 2)]
    [InlineData(1_000_000UL, 2)]
    [InlineData(1_000_001UL, 1)]
    [InlineData(ulong.MaxValue, 1)]
    public void Every_threshold_boundary(ulong milliNcu, byte grade) => Assert.Equal(grade, Grades.GradeOf(milliNcu));

    [Fact]
    public void Valid_grades_are_one_to_four()
    {
        Assert.False(Grades.IsValid(0));
        Assert.True(Grades.IsValid(1));
        Assert.True(Grades.IsValid(4));
        Assert.False(Grades.IsValid(5));
    }

    [Fact]
    public void Flops_convert_to_milli_ncu_rounding_down()
    {
        Assert.Equal(1UL, Units.FlopsToMilliNcu(1.9e9));
        Assert.Equal(0UL, Units.FlopsToMilliNcu(-5));
        Assert.Equal(0UL, Units.FlopsToMilliNcu(double.NaN));
        Assert.Equal(3_090UL, Units.FlopsToMilliNcu(2.0 * 1536 * 1006e6)); // the survey's GTX680: 3.09 TFLOPS
    }
}
