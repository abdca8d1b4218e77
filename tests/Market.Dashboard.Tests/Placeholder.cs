namespace Market.Dashboard.Tests;
