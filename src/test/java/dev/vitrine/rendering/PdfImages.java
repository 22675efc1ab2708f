package dev.vitrine.rendering;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** The images a PDF holds, as its pages' image XObjects. */
public final class PdfImages {

	private PdfImages() {
	}

	/** Each image XObject of the document, as {@code WIDTHxHEIGHT} in pixels. */
	public static List<String> sizes(PDDocument document) throws IOException {
		List<String> sizes = new ArrayList<>();
		for (PDPage page : document.getPages()) {
			for (COSName name : page.getResources().getXObjectNames()) {
				if (page.getResources().getXObject(name) instanceof PDImageXObject image) {
					sizes.add(image.getWidth() + "x" + image.getHeight());
				}
			}
		}
		return sizes;
	}

	/**
	 * How wide each image is drawn, as a share of its page's width: above 1 it runs off
	 * the page.
	 */
	public static List<Double> drawnWidthsOfPage(PDDocument document) throws IOException {
		List<Double> widths = new ArrayList<>();
		for (PDPage page : document.getPages()) {
			float pageWidth = page.getMediaBox().getWidth();
			new PDFGraphicsStreamEngine(page) {

				@Override
				public void drawImage(PDImage image) {
					widths.add((double) getGraphicsState().getCurrentTransformationMatrix().getScalingFactorX()
							/ pageWidth);
				}

				@Override
				public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
				}

				@Override
				public void clip(int windingRule) {
				}

				@Override
				public void moveTo(float x, float y) {
				}

				@Override
				public void lineTo(float x, float y) {
				}

				@Override
				public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
				}

				@Override
				public Point2D getCurrentPoint() {
					return new Point2D.Float();
				}

				@Override
				public void closePath() {
				}

				@Override
				public void endPath() {
				}

				@Override
				public void strokePath() {
				}

				@Override
				public void fillPath(int windingRule) {
				}

				@Override
				public void fillAndStrokePath(int windingRule) {
				}

				@Override
				public void shadingFill(COSName shadingName) {
				}

			}.processPage(page);
		}
		return widths;
	}

}
