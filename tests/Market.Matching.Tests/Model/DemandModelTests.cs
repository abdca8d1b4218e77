using Market.Matching.Model;

namespace Market.Matching.Tests.Model;

public class DemandModelTests
{
    [Theory]
    [InlineData(4.0, 1.0, 1.0, 4_000UL)]       // exact, no rounding up from float noise
    [InlineData(4.0, 1.0, 0.5, 8_000UL)]
    [InlineData(1.0, 3.0, 1.0, 334UL)]         // 333.33… rounds up
    [InlineData(0.002, 1.0, 1.0, 2UL)]
    [InlineData(19_000.0, 1.0, 1.0, 19_000_000UL)]
    public void Needed_capacity_is_ceiling_of_work_over_time_and_efficiency(double w, double tau, double eta, ulong expected) =>
        Assert.Equal(expected, DemandModel.NeededMilliNcu(w, tau, eta));

    [Theory]
    [InlineData(0.0, 1.0, 0.5)]
    [InlineData(1.0, 0.0, 0.5)]
    [InlineData(1.0, 1.0, 0.0)]
    [InlineData(1.0, 1.0, 1.5)]
    [InlineData(double.NaN, 1.0, 0.5)]
    public void Bad_inputs_need_nothing(double w, double tau, double eta) =>
        Assert.Equal(0UL, DemandModel.NeededMilliNcu(w, tau, eta));

    [Fact]
    public void Default_efficiency_doubles_the_demand_and_can_move_the_grade()
    {
        Assert.Equal(Grades.Medium, DemandModel.GradeOf(4.0, 1.0, 1.0));       // 4,000 mNCU
        Assert.Equal(Grades.Medium, DemandModel.GradeOf(4.0, 1.0));            // 8,000 mNCU at η = 0.5
        Assert.Equal(Grades.Large, DemandModel.GradeOf(6.0, 1.0));             // 12,000 mNCU
    }
}
