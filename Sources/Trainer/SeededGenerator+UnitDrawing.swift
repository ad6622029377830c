import Environments
import Networks

extension SeededGenerator: UnitDrawing {}
